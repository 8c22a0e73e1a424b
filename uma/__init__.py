"""Uma: everything model-shaped. Other apps call these functions with plain data; uma imports
nothing from them."""
