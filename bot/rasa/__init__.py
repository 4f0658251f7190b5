"""rasa"""
