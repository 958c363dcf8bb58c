from tglake.cli import main

main()
