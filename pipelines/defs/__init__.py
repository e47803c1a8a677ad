"""Every asset, check, schedule and sensor of Toegang; ``pipelines.definitions`` loads this package."""
