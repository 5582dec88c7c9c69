DO $$ BEGIN
  IF current_setting('server_version_num')::int >= 170000 THEN
    EXECUTE 'REVOKE MAINTAIN ON alerts, intake_answers FROM klantmonitor_app';
  END IF;
END $$;
