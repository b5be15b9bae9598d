import TDLibAPI
