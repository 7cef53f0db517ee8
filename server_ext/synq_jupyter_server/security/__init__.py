"""Security: the encryption keyring for secrets at rest (more arrives with identity)."""
