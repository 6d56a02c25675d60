print("rabt")
