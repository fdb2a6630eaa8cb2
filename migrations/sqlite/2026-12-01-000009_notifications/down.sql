DROP TABLE notifications;
DROP TABLE watches;
