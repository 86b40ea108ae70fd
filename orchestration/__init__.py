"""The Dagster code location: thin wiring of sources/, quality/ and dbt_project/."""

# Dagster puts the project directory on sys.path only while it imports the code location,
# and the steps import their domain modules (pandas, DuckDB, Splink) only when they run.
# Importing the packages here (each is a docstring) keeps them resolvable by their own
# path at run time.
import alerting  # noqa: F401
import quality  # noqa: F401
import resolution  # noqa: F401
import serving  # noqa: F401
import sources  # noqa: F401
