"""Moving in: a newsroom's archive from WordPress or Ghost, with its pictures and old addresses."""
