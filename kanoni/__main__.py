from kanoni.cli import main

main()
