CREATE SEQUENCE tco_notification_id;
