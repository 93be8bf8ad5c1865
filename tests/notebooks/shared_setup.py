# Databricks notebook source
GREETING = "hello from shared_setup"
