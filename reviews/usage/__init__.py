"""Evidence that learning was used (``models.LearningUse``): the counts the
public pages show (``selectors``) and the records the board's annual report
takes (``export``)."""
