"""The production topology on one machine, on loopback: PostgreSQL under Patroni with etcd,
and two processes of each service behind nginx (`make cluster`, `make test-cluster`)."""
