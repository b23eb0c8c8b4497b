"""Every document as a file to hand over (``files``) and the pages that hand them over to whoever may
read them (``views``)."""
