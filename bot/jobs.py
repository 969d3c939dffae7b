"""The periodic jobs; importing a module here registers its `@job` functions."""
