"""The agent's graph nodes: route, the four paths, respond, consolidate."""

from agent.nodes.chat_node import chat_node
from agent.nodes.consolidate_node import consolidate_node
from agent.nodes.recall_node import recall_node
from agent.nodes.remember_node import remember_node
from agent.nodes.respond import respond_node
from agent.nodes.rlm_node import rlm_node
from agent.nodes.route import route_node

__all__ = [
    "route_node",
    "rlm_node",
    "recall_node",
    "remember_node",
    "chat_node",
    "respond_node",
    "consolidate_node",
]
