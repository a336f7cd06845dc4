INSERT INTO tco_counters (name, value) VALUES ('notification_id', 0);
