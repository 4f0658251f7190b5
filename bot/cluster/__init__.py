"""`python -m bot cluster`: the production layout on one machine (README, "Several instances").

layout.py places the instances on loopback ports, haproxy.py writes the load balancer's
configuration, start.py prepares the databases and starts everything under bot/supervisor.py.
"""
