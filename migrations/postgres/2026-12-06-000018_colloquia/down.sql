DROP TABLE invitation_grants;
DROP TABLE guest_accounts;
DROP TABLE conclusion_endorsements;
DROP TABLE colloquium_conclusions;
DROP INDEX colloquia_by_category;
DROP TABLE colloquia;
