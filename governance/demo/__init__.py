"""The demo case: the DKI Jakarta bansos collaboration the project was born from."""
