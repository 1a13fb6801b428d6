"""``python -m calmops`` runs the command line."""

from calmops.cli.main import main

if __name__ == "__main__":
    main()
