# tests for core/data
