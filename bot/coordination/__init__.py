"""The coordinators' side: who they are, broadcasts, overview, export, dashboard data."""
