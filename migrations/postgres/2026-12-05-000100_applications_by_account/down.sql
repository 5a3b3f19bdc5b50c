DROP INDEX applications_by_account;
