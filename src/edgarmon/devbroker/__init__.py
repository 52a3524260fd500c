"""A local Apache Kafka broker, installed from Maven Central and run by the project."""
