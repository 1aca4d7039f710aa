"""OCA v2 in the simulator.

``models`` (the state), ``responses`` (the route handlers), ``urls`` (the route table), ``exceptions`` (the OCA
error envelope) and ``uploads`` (the bulk provision file, read as a stream).
"""
