"""Reads the function names (and their fields) of a td_api.tl schema."""

import re
import zlib


class Schema:
    def __init__(self, functions):
        self.functions = functions  # name -> [(field, type)]

    @staticmethod
    def read(path):
        functions = {}
        in_functions = False
        with open(path, encoding="utf-8") as source:
            for line in source:
                line = line.strip()
                if line == "---functions---":
                    in_functions = True
                    continue
                if line == "---types---":
                    in_functions = False
                    continue
                if not in_functions or not line or line.startswith("//"):
                    continue
                match = re.match(r"^(\w+)\s*(.*?)\s*=\s*(\w+)\s*;$", line)
                if match:
                    fields = [tuple(part.split(":", 1)) for part in match.group(2).split()]
                    functions[match.group(1)] = fields
        return Schema(functions)

    def function_names(self):
        return sorted(self.functions)


def constructor_id(line):
    """TL's constructor number of a schema line such as `testSquareInt x:int32 = TestInt`, as TDLib's ID."""
    value = zlib.crc32(line.encode())
    return value - (1 << 32) if value >= (1 << 31) else value
