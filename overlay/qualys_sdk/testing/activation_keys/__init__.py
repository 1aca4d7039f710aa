"""Cloud Agent activation keys (QPS) in the simulator.

``models`` (the state), ``responses`` (the route handlers), ``urls`` (the route table), ``exceptions`` (QPS
error answers) and ``codec`` (its own safe XML).
"""
