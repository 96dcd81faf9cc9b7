import Engine
print("arnn")
