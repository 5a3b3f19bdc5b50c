DROP TABLE email_changes;
DROP TABLE billing_details;
