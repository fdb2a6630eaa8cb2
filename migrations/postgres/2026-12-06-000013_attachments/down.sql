DROP TABLE attachment_pages;
DROP TABLE attachments;
