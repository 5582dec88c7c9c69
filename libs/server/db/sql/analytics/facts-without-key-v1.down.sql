ALTER TABLE analytics_trajectories ADD CONSTRAINT analytics_trajectories_pkey PRIMARY KEY (trajectory_id);
