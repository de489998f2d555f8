"""nis's own plan schemas (`schemas/`) compiled to Python, one module per kind of plan, so a
process validates a plan without compiling a validator first. Each module is written by
`make validators` from `documents.validator_source`, and records the sha256 of the schema it
was made from: nis uses it only while that schema is unchanged (`documents._fast_validator`).
"""
