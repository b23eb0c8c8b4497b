"""The 通报 a unit sends its sub-units for a period: the ranking laid out (``build``, pure) and the
sub-units' records read for it (``queries``)."""
