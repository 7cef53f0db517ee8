"""Durable jobs: the queue, the scheduler, executors and the event bus."""
