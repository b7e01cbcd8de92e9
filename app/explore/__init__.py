"""The explore tabs: basin map, sweep and compare surfaces, with their long jobs."""
