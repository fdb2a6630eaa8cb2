DROP TABLE advice_steps;
DROP TABLE advice_notes;
DROP INDEX advice_requests_by_status;
DROP TABLE advice_requests;
