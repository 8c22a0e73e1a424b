# Tandem's one date format (marketplace/formats.py), also for Django's own rendering (admin, unfiltered dates).
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
