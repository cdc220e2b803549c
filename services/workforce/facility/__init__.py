"""Facilities (cơ sở, đơn vị): where CTXH work is done and services are provided."""
