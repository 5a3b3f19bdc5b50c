DROP TABLE bankid_orders;
