"""Speed measurements of the dashboard (`make bench`)."""
