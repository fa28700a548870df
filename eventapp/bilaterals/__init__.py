"""Bilateral meetings: one delegation asks another, they agree a time, a room is booked for it."""
