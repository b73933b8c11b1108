"""BW-portaal."""
