from kanoni.entry import main

main()
