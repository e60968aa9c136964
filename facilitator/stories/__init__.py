"""Stories: klantverhalen and voorbeeldcasussen, approved by the procesbegeleider."""
