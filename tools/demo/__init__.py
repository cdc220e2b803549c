"""A realistic demo province (Hải Phòng, with the former Hải Dương), loaded only through the
cases and workforce services' public HTTP APIs, so the demo exercises the same validation,
scoping and history as real clients and can be pointed at any running deployment."""
