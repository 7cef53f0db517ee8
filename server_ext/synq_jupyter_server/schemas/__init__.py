"""Pydantic request and response models; the OpenAPI spec is built from them."""
