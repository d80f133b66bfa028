"""Pure parsing: page text in, records out. Nothing here touches the network or the database."""
