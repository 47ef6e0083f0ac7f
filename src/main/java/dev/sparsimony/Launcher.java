package dev.sparsimony;
public final class Launcher { public static void main(String[] a) {} }
