"""The real tier: Kafka, PostgreSQL, and every service as its own OS process."""
