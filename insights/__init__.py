"""Pure functions from FreshBooks records to the numbers and charts the pages show."""
