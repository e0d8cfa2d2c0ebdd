"""Shortest paths in a weighted directed graph."""

import heapq


class Graph:
    def __init__(self):
        self.edges = {}

    def add_edge(self, source, target, weight):
        if weight < 0:
            raise ValueError("negative weights are not supported")
        self.edges.setdefault(source, []).append((target, weight))
        self.edges.setdefault(target, [])

    def shortest_path(self, start, goal):
        if start not in self.edges or goal not in self.edges:
            raise KeyError("unknown node")
        distances = {start: 0}
        previous = {}
        queue = [(0, start)]
        visited = set()
        while queue:
            distance, node = heapq.heappop(queue)
            if node in visited:
                continue
            visited.add(node)
            if node == goal:
                break
            for neighbour, weight in self.edges[node]:
                candidate = distance + weight
                if candidate < distances.get(neighbour, float("inf")):
                    distances[neighbour] = candidate
                    previous[neighbour] = node
                    heapq.heappush(queue, (candidate, neighbour))
        if goal not in distances:
            return None, float("inf")
        path = [goal]
        while path[-1] != start:
            path.append(previous[path[-1]])
        return list(reversed(path)), distances[goal]
