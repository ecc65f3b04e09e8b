"""SMEV-style asynchronous exchange with the sources: messages, the transport port, the request
queue and the simulator transport."""
