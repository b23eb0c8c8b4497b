"""What an inspector reads of each activity: its record (会议记录/学习记录), its sign-in sheet and the
study archive that binds a period's study, laid out (``build``, pure) and read (``queries``)."""
